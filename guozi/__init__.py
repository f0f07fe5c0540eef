"""Guozi (国资): a platform for a city SASAC and its government supervision office."""
