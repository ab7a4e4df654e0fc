"""livecommerce: rebuild, audit and extend the index of 中国直播电商行业发展趋势报告（2023）."""

from livecommerce.errors import (
    DataError,
    LivecommerceError,
    NotebookError,
    OutputError,
    ParameterError,
    RegionError,
    SchemeError,
)
from livecommerce.study.study import Study

__version__ = "0.1.0"
__all__ = [
    "DataError",
    "LivecommerceError",
    "NotebookError",
    "OutputError",
    "ParameterError",
    "RegionError",
    "SchemeError",
    "Study",
    "__version__",
]
