"""The built-in case files (YAML). This file only makes them ship in the wheel."""
