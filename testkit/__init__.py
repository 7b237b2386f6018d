"""The test kit: drives the real desktop app with practice data, as a custodian would.

Not part of the app: ``ui/`` never imports it, except ``ui.app`` to start
``ceremony --screenshot-tour``. The tests, the bench and the live image's
self-test use it; it is in the wheel only so the image can run the tour.
"""
