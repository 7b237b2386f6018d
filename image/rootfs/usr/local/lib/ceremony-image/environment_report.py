"""The app's environment check, printed as the ceremony record prints it (one row a line)."""

from ceremony.room.environment import check_environment
from ceremony.room.hardening import harden_process

report = check_environment(rehearsal=False, hardening=harden_process())
for title, status, severity in report.as_record_rows():
    print(f"{severity}\t{title}\t{status}")
print(f"worst\t{report.worst}")
