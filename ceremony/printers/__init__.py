"""Printing: CUPS queues and jobs from memory, and queues for USB printers."""
