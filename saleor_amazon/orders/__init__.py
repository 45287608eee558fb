"""Amazon orders in: fetch (importer) -> map (mapping, pure) -> create/update (create)."""
