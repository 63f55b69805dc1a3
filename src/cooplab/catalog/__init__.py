"""Catalog: commodity codes, vehicles, their bills of materials, sourcing and supplier inputs."""
