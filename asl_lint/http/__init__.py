"""The HTTP Task (`arn:aws:states:::http:invoke`): its request fields, endpoint facts and result shape."""

from asl_lint.http.output import HTTP_RESULT_FIELDS, HTTP_RESULT_TYPES, ResultField
from asl_lint.http.task import (
    REQUEST_DATA_FIELDS,
    HttpTask,
    build_http_task,
    cached_http_tasks,
    http_tasks,
    is_http_resource,
)
from asl_lint.http.values import HttpValue, classify

__all__ = [
    "HTTP_RESULT_FIELDS",
    "HTTP_RESULT_TYPES",
    "REQUEST_DATA_FIELDS",
    "HttpTask",
    "HttpValue",
    "ResultField",
    "build_http_task",
    "cached_http_tasks",
    "classify",
    "http_tasks",
    "is_http_resource",
]
