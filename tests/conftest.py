import shutil
from pathlib import Path

import pytest

from livecommerce.paths import published_dir

REPORT = Path(__file__).resolve().parents[2] / "shared" / "source-report" / "live-commerce-trends-report-2023.zh.md"


@pytest.fixture
def published_copy(tmp_path) -> Path:
    """A writable copy of data/published to corrupt."""
    folder = tmp_path / "published"
    shutil.copytree(published_dir(), folder)
    return folder


@pytest.fixture(scope="session")
def report_text() -> str:
    if not REPORT.is_file():
        pytest.skip(f"source report not found at {REPORT}")
    return REPORT.read_text(encoding="utf-8")
