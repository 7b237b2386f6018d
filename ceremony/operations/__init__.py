"""What the room does: genesis, authorize, re-share, rehearsal and their records."""
