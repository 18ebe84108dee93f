"""The knowledge base partners' agents work from: versioned articles, acknowledgements, search."""
