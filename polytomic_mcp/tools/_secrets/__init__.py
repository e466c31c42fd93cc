"""Secret values in tool arguments and in what the API returns: credential references and masking."""
