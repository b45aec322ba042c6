"""What a run leaves behind: summary.json, the console text, the progress display, the re-run
command (the reports themselves are :mod:`vapi_contract.report`)."""
