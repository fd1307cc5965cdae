"""Treatment plans: built in a later issue on the catalogue and patient findings."""
