"""Social media strategy concepts: the method, versioned records, the document."""
