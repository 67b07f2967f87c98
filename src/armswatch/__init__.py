"""armswatch: arms transfers between states, extracted from news pages with their evidence."""

__version__ = "0.1.0"
