"""Wait for the app's window to be shown on the X screen, then save the screen as a PNG.

Prints the kernel uptime (seconds since the kernel started) at which the window was
first viewable: the image's boot-to-first-paint figure. Uses only the X tools and the
Qt that the image already has. Usage: first_paint.py OUT.png WINDOW_TITLE [APP_PID]
(with APP_PID it gives up as soon as that process has ended).
"""

import os
import subprocess
import sys
import time

DEADLINE_S = 600.0


def uptime() -> float:
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


def viewable(title: str) -> bool:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    for line in tree.splitlines():
        if f'"{title}"' in line:
            wid = line.split()[0]
            info = subprocess.run(["xwininfo", "-id", wid], capture_output=True, text=True).stdout
            if "IsViewable" in info:
                return True
    return False


def grab(path: str) -> None:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["first-paint"])
    screen = app.primaryScreen()
    if not screen.grabWindow(0).save(path, "PNG"):
        raise SystemExit("could not save the screen")


def main() -> int:
    out, title = sys.argv[1], sys.argv[2]
    app_pid = int(sys.argv[3]) if len(sys.argv) > 3 else None
    start = time.monotonic()
    while not viewable(title):
        if time.monotonic() - start > DEADLINE_S:
            return 1
        if app_pid is not None and not os.path.exists(f"/proc/{app_pid}"):
            print(f"the app (pid {app_pid}) ended before its window appeared", file=sys.stderr)
            return 1
        time.sleep(0.1)
    shown = uptime()
    time.sleep(3.0)  # let the first frame settle before the picture is taken
    grab(out)
    print(f"{shown:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
