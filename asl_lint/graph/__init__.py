"""State graphs per scope: adjacency lists for the rules, a networkx DiGraph (edges tagged with their kind
and field pointer) on demand."""
