"""The desktop app: PySide6 views over the ceremony core. No key logic lives here."""
