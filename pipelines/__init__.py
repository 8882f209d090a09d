"""sgpulse: evidence pipeline for ITU-T strategic planning."""
