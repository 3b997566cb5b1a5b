"""The backlog of fetched documents (``Limits.backlog``): so many bytes held at once, claims
let in in the order they came, one always let in however big, an empty one never waits,
and a claim cancelled while it waits (a stopped poll) neither holds nor blocks room."""

from __future__ import annotations

import asyncio

from monitor.pipeline.limits import Budget


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_claims_wait_for_room_in_order() -> None:
    async def steps() -> list[object]:
        budget, order = Budget(100), []

        async def claim(name: str, size: int) -> None:
            await budget.take(size)
            order.append(name)

        await budget.take(80)
        waiting = [asyncio.create_task(claim("big", 50)), asyncio.create_task(claim("small", 10))]
        await _settle()
        before = list(order)  # small fits, but waits behind big: first come, first in
        await budget.take(0)  # an empty document (a 304) never waits
        budget.give(80)
        await asyncio.gather(*waiting)
        return [before, order, budget.held]

    assert asyncio.run(steps()) == [[], ["big", "small"], 60]


def test_one_claim_larger_than_the_budget_is_let_in_alone() -> None:
    async def steps() -> int:
        budget = Budget(100)
        await budget.take(500)
        return budget.held

    assert asyncio.run(steps()) == 500


def test_a_cancelled_claim_neither_holds_nor_blocks_room() -> None:
    async def steps() -> list[int]:
        budget = Budget(100)
        await budget.take(90)
        stuck = asyncio.create_task(budget.take(50))
        behind = asyncio.create_task(budget.take(5))
        await _settle()
        stuck.cancel()  # the head of the queue goes: the one behind it fits now
        await asyncio.wait_for(behind, 10)
        held = budget.held
        granted = asyncio.create_task(budget.take(100))
        await _settle()
        budget.give(95)  # room for it: granted, but cancelled before it ran
        granted.cancel()
        await asyncio.gather(granted, return_exceptions=True)
        return [held, budget.held]

    assert asyncio.run(steps()) == [95, 0]
