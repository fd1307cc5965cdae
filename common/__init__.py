"""Small pieces every app may import (forms widgets, form error helpers). Nothing here knows
about patients, plans or the catalogue: apps import this, never the other way round."""
