"""The decoder pool's balancer: as few threads as keep up, with room between growing and merging."""

from __future__ import annotations

from camdesk.video.pool_balance import BalanceSettings, LoopLoad, Move, place, plan

S = BalanceSettings()


def test_new_streams_fill_one_thread_before_starting_another() -> None:
    assert place([LoopLoad(0.0, 0), LoopLoad(0.0, 0)], S) == 0
    assert place([LoopLoad(0.4, 12), LoopLoad(0.0, 0)], S) == 0
    assert place([LoopLoad(0.59, 20), LoopLoad(0.0, 0)], S) == 1  # would pass grow_above
    # Both in use: the lighter one, even when both are full.
    assert place([LoopLoad(0.7, 20), LoopLoad(0.65, 18)], S) == 1
    assert place([LoopLoad(0.2, 5), LoopLoad(0.1, 2)], S) == 1


def test_a_busy_thread_hands_about_half_its_load_to_an_idle_one() -> None:
    move = plan(0, [LoopLoad(0.9, 6), LoopLoad(0.0, 0)], [0.15] * 6, S)
    assert move is not None and move.target == 1
    assert sum(0.15 for _ in move.streams) <= 0.45 + 1e-9 and len(move.streams) == 3


def test_heavy_streams_move_first_and_never_all_of_them() -> None:
    move = plan(0, [LoopLoad(1.0, 3), LoopLoad(0.0, 0)], [0.1, 0.45, 0.45], S)
    assert move == Move(1, (1,))
    move = plan(0, [LoopLoad(0.9, 2), LoopLoad(0.0, 0)], [0.8, 0.1], S)
    assert move == Move(1, (1,))  # the heavy one alone is more than half: the light one goes


def test_a_single_stream_or_a_thread_that_keeps_up_stays() -> None:
    assert plan(0, [LoopLoad(0.95, 1), LoopLoad(0.0, 0)], [0.95], S) is None
    assert plan(0, [LoopLoad(0.5, 10), LoopLoad(0.0, 0)], [0.05] * 10, S) is None


def test_two_busy_threads_trade_only_when_their_loads_differ_enough() -> None:
    assert plan(0, [LoopLoad(0.7, 10), LoopLoad(0.65, 10)], [0.07] * 10, S) is None
    move = plan(0, [LoopLoad(0.9, 10), LoopLoad(0.65, 10)], [0.09] * 10, S)
    assert move is not None and move.target == 1 and len(move.streams) == 1


def test_a_light_thread_gives_its_streams_back_to_a_lower_one() -> None:
    assert plan(1, [LoopLoad(0.2, 8), LoopLoad(0.1, 4)], [0.025] * 4, S) == Move(0, (0, 1, 2, 3))
    assert plan(1, [LoopLoad(0.3, 8), LoopLoad(0.1, 4)], [0.025] * 4, S) is None  # together too busy
    assert plan(0, [LoopLoad(0.1, 4), LoopLoad(0.2, 8)], [0.025] * 4, S) is None  # the lowest stays home
