"""The demo clinic for `make run`: its logins and patients with every part of a record filled in.
It sits above every other app (it writes through their services), so no app imports it."""
