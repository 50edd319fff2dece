"""Custom actions run by the rasa-sdk action server. They talk; rules and data live in `bot/`."""
