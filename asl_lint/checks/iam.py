"""ASL501–ASL507: IAM coverage of the execution role."""
