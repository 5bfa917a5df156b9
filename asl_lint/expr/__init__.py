"""Expression layer: everything in a definition that AWS evaluates as an expression.

* ``jsonpath``   – ASL JSONPath (``$``, ``$$``, ``$var``) with Jayway semantics: ``parse_path``,
  ``evaluate``, ``get_value``, ``set_value`` (ResultPath); ``context`` – the Context object schema.
* ``intrinsics`` – ``States.*`` calls: ``parse_intrinsic``, ``check_call``, ``evaluate_call``.
* ``jsonata``    – ``{% %}`` wrappers, ``parse_jsonata``, ``check_restrictions``, ``variables_read``,
  ``evaluate_jsonata`` (jsonata-python plus Step Functions' functions).
* ``errors``     – ``ExprSyntaxError`` (offsets), ``EvaluationError`` (AWS error/cause), ``Problem``.

Modules starting with ``_`` are internal. Heavy libraries (jsonata) load only when needed.
"""
