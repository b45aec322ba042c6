"""Contract test suite for Vapi GET /campaign."""
