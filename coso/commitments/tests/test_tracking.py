"""The tracked-item base: weighted roll-up at any depth, stored progress of whole families, overdue."""

from __future__ import annotations

import datetime as dt

import time_machine

from coso.commitments.models import HardTask, HardTaskStatus
from coso.core.tracking import Node, is_overdue, refresh_progress, rollup

from .conftest import make_task


def test_a_leaf_keeps_its_own_progress():
    assert rollup([Node(1, None, 40)]) == {1: 40}


def test_a_parent_takes_the_weighted_mean_of_its_children():
    result = rollup([Node(1, None, 0), Node(2, 1, 100, 3), Node(3, 1, 0, 1)])
    assert result[1] == 75


def test_weight_zero_leaves_a_child_out_and_a_missing_weight_counts_as_one():
    result = rollup([Node(1, None, 0), Node(2, 1, 100, 0), Node(3, 1, 20, None), Node(4, 1, 60, 1)])
    assert result[1] == 40


def test_children_all_weighing_zero_give_the_plain_mean():
    assert rollup([Node(1, None, 0), Node(2, 1, 100, 0), Node(3, 1, 0, 0)])[1] == 50


def test_rollup_goes_through_several_levels_bottom_up():
    nodes = [
        Node(1, None, 0),
        Node(2, 1, 0, 1),  # its progress comes from 4 and 5
        Node(3, 1, 100, 1),
        Node(4, 2, 100, 1),
        Node(5, 2, 0, 3),
        Node(6, 5, 40, 1),  # 5 is itself a parent: 40
    ]
    result = rollup(nodes)
    assert result[5] == 40
    assert result[2] == 55  # (100*1 + 40*3) / 4
    assert result[1] == 78  # (55 + 100) / 2 = 77.5, rounded half up


def test_rollup_is_deep_without_recursion():
    depth = 3000
    nodes = [Node(1, None, 0)] + [Node(i, i - 1, 0) for i in range(2, depth)] + [Node(depth, depth - 1, 30)]
    assert rollup(nodes)[1] == 30


def test_a_cycle_in_bad_data_does_not_hang():
    result = rollup([Node(1, 2, 10), Node(2, 1, 50)])
    assert set(result) == {1, 2}


def test_refresh_progress_stores_a_whole_family_in_bounded_queries(world, django_assert_max_num_queries):
    city = make_task(world.province, status=HardTaskStatus.IN_PROGRESS)
    ward1 = make_task(world.commune, parent=city, status=HardTaskStatus.IN_PROGRESS, weight=2)
    ward2 = make_task(world.commune2, parent=city, status=HardTaskStatus.IN_PROGRESS, own_progress=90)
    cells = [
        make_task(world.cell_a, parent=ward1, status=HardTaskStatus.IN_PROGRESS, own_progress=100),
        make_task(world.cell_b, parent=ward1, status=HardTaskStatus.IN_PROGRESS, own_progress=20),
    ]
    with django_assert_max_num_queries(2):
        refresh_progress(HardTask, [city.pk])
    values = dict(HardTask.objects.values_list("pk", "progress"))
    assert values[cells[0].pk] == 100
    assert values[ward1.pk] == 60
    assert values[ward2.pk] == 90
    assert values[city.pk] == 70  # (60*2 + 90) / 3


def test_overdue_only_while_the_result_is_still_owed():
    due = dt.date(2026, 6, 30)
    assert not is_overdue(due, "IN_PROGRESS", dt.date(2026, 6, 30), ["IN_PROGRESS"])
    assert is_overdue(due, "IN_PROGRESS", dt.date(2026, 7, 1), ["IN_PROGRESS"])
    assert not is_overdue(due, "VERIFIED", dt.date(2026, 7, 1), ["IN_PROGRESS"])


@time_machine.travel(dt.datetime(2026, 7, 2, 9, 0), tick=False)
def test_overdue_tasks_are_found_by_the_query_and_the_flag(world):
    late = make_task(world.cell_a, status=HardTaskStatus.IN_PROGRESS, due_date=dt.date(2026, 6, 30))
    done_late = make_task(world.cell_a, status=HardTaskStatus.REPORTED_DONE, due_date=dt.date(2026, 6, 30))
    draft = make_task(world.cell_a, due_date=dt.date(2026, 6, 30))
    on_time = make_task(world.cell_a, status=HardTaskStatus.IN_PROGRESS, due_date=dt.date(2026, 7, 2))
    today = dt.date(2026, 7, 2)
    found = set(HardTask.objects.filter(HardTask.overdue_q(today)).values_list("pk", flat=True))
    assert found == {late.pk}
    assert late.is_overdue(today) and late.days_overdue(today) == 2
    assert not done_late.is_overdue(today) and not draft.is_overdue(today) and not on_time.is_overdue(today)
