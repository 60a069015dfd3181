from __future__ import annotations

import pytest

from stagekans.insight.simulation import SimulationParams, simulate


@pytest.fixture(scope="module")
def default_run():
    return simulate()


def test_open_application_reproduces_roa_at_default_seed(default_run):
    open_ = default_run.open_application
    assert open_.western.first_try == pytest.approx(0.68, abs=0.02)
    assert open_.non_western.first_try == pytest.approx(0.48, abs=0.02)


def test_blind_matching_closes_the_gap(default_run):
    assert default_run.blind_matching.gap < default_run.open_application.gap / 4
    assert default_run.blind_matching.non_western.unplaced < (
        default_run.open_application.non_western.unplaced
    )


def test_deterministic_and_parameters_recorded(default_run):
    again = simulate()
    assert again.as_dict() == default_run.as_dict()
    assert default_run.params.base is not None and default_run.params.bias is not None


def test_calibration_holds_for_another_seed():
    other = simulate(SimulationParams(seed=7))
    assert other.open_application.western.first_try == pytest.approx(0.68, abs=0.02)
    assert other.open_application.non_western.first_try == pytest.approx(0.48, abs=0.02)


def test_no_bias_means_no_gap():
    result = simulate(SimulationParams(bias=0.0, students=3000, companies=800))
    assert abs(result.open_application.gap) < 0.05


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        SimulationParams(non_western_share=1.5)
