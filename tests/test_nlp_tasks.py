"""How a two-process build splits its articles into the workers' tasks."""

from __future__ import annotations

import pytest

from kg.nlp import task_sizes


@pytest.mark.parametrize("total", [0, 1, 7, 31, 32, 100, 1000, 10_007])
@pytest.mark.parametrize(("batch_size", "workers"), [(32, 2), (16, 4), (1, 2), (3, 1)])
def test_nlp_task_sizes_cover_every_article_and_shrink_towards_the_end(total: int, batch_size: int, workers: int) -> None:
    sizes = list(task_sizes(total, batch_size=batch_size, workers=workers))
    assert sum(sizes) == total and all(0 < size <= batch_size for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # the big tasks first, the small ones last
    if total >= 4 * workers * batch_size:
        assert sizes[0] == batch_size  # spaCy's batch while plenty remain
        # the last tasks are small, so no worker waits long for the other's last batch
        assert sizes[-2 * workers :] == [max(1, batch_size // 4)] * (2 * workers - 1) + [sizes[-1]]
