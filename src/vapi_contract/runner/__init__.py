"""`vapi-contract run`: the contract suite against one target."""
