"""ASL601–ASL603: inline secrets and hand-made authentication."""
