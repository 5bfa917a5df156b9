"""State graphs: one networkx DiGraph per scope, edges tagged with their kind and field pointer."""
