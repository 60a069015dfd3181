"""Eligibility of a preference: the company is recognised for the student's crebo and close enough.

Students are only supposed to rank eligible placements, but the web form cannot stop every stale
choice (a recognition can lapse after a student ranked the company), so the engine re-applies the
rule and reports students whose lists become empty as "ranked nothing eligible".
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stagekans.matching.engine._types import BoolArray, FloatArray
from stagekans.matching.engine.errors import InputError
from stagekans.matching.engine.instance import Instance, as_float_array, as_int_array

EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance; a stand-in for travel distance when no route data is available."""
    phi1, phi2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dphi = phi2 - phi1
    dlambda = np.radians(np.asarray(lon2, float)) - np.radians(np.asarray(lon1, float))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), float)


def pair_distances(
    instance: Instance,
    student_lat: npt.ArrayLike,
    student_lon: npt.ArrayLike,
    placement_lat: npt.ArrayLike,
    placement_lon: npt.ArrayLike,
) -> FloatArray:
    """Distance per preference from student and placement coordinates."""
    slat = as_float_array("student_lat", student_lat)
    slon = as_float_array("student_lon", student_lon)
    plat = as_float_array("placement_lat", placement_lat)
    plon = as_float_array("placement_lon", placement_lon)
    if slat.size != instance.n_students or slon.size != instance.n_students:
        raise InputError("student coordinates must have one entry per student")
    if plat.size != instance.n_placements or plon.size != instance.n_placements:
        raise InputError("placement coordinates must have one entry per placement")
    pair_student = instance.pair_student()
    pair_placement = np.clip(instance.pref_placement, 0, max(instance.n_placements - 1, 0))
    return haversine_km(
        slat[pair_student], slon[pair_student], plat[pair_placement], plon[pair_placement]
    )


def crebo_recognised(
    instance: Instance,
    student_crebo: npt.ArrayLike,
    recognition_ptr: npt.ArrayLike,
    recognition_crebo: npt.ArrayLike,
) -> BoolArray:
    """Per preference: is the placement recognised for the student's crebo (programme code)?

    Recognitions are CSR per placement; a student crebo of -1 (unknown) is eligible nowhere.
    """
    crebo = as_int_array("student_crebo", student_crebo)
    rptr = as_int_array("recognition_ptr", recognition_ptr)
    rcrebo = as_int_array("recognition_crebo", recognition_crebo)
    if crebo.size != instance.n_students:
        raise InputError("student_crebo must have one entry per student")
    if rptr.size != instance.n_placements + 1 or int(rptr[-1]) != rcrebo.size:
        raise InputError("ragged recognitions: recognition_ptr must hold n_placements + 1 offsets")
    if (np.diff(rptr) < 0).any():
        raise InputError("ragged recognitions: recognition_ptr decreases")
    width = int(max(int(crebo.max(initial=0)), int(rcrebo.max(initial=0)))) + 1
    rplacement = np.repeat(np.arange(instance.n_placements, dtype=np.int64), np.diff(rptr))
    known = np.unique(rplacement * width + rcrebo)
    pair_crebo = crebo[instance.pair_student()]
    keys = instance.pref_placement * width + pair_crebo
    found = np.searchsorted(known, keys)
    hit = np.zeros(keys.size, dtype=np.bool_)
    if known.size:
        hit = known[np.minimum(found, known.size - 1)] == keys
    return hit & (pair_crebo >= 0)


def apply_eligibility(
    instance: Instance,
    *,
    recognised: BoolArray | None = None,
    distance_km: FloatArray | None = None,
    max_distance_km: float | None = None,
) -> Instance:
    """Combine the school's rules into ``instance.eligible`` (and record the distances)."""
    eligible = np.ones(instance.n_preferences, dtype=np.bool_)
    if instance.eligible is not None:
        eligible &= instance.eligible
    if recognised is not None:
        eligible &= recognised
    distances = distance_km if distance_km is not None else instance.distance_km
    if max_distance_km is not None:
        if distances is None:
            raise InputError("a travel-distance limit needs distances for every preference")
        eligible &= distances <= max_distance_km
    return instance.replace(eligible=eligible, distance_km=distances)
