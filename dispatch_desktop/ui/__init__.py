"""Qt widgets of Dispatch Desktop."""
