import shutil
from pathlib import Path

import pytest

from triggerpoints.catalogue_files import DATA_DIR


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped data files."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
