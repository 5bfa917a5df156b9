"""ASL201–ASL207: paths, intrinsic functions, JSONata, payload keys, variables, context paths."""
