"""Great-circle distance, the one formula of the format ("haversine, Earth radius 6371.0 km").

Defined once for the whole project: the solver's distance matrix, the independent checker and the
app's itineraries all measure a leg with it (sharing a formula the format spells out is not
sharing the model's code: the checker still derives every rule on its own).
"""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Km between every pair of the points (degrees), as an n x n array."""
    p = np.radians(lat)[:, None]
    q = np.radians(lat)[None, :]
    dl = np.radians(lon)[None, :] - np.radians(lon)[:, None]
    a = np.sin((q - p) / 2) ** 2 + np.cos(p) * np.cos(q) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def haversine_to(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Km from one point to each of the points ``lats``/``lons``."""
    p, q = math.radians(lat), np.radians(lats)
    dl = np.radians(lons) - math.radians(lon)
    a = np.sin((q - p) / 2) ** 2 + math.cos(p) * np.cos(q) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
