"""Map geometry: positions to SVG coordinates, and labels kept apart."""

from assessments import charts


def test_positions_map_to_the_plot_edges_and_centre():
    frame = charts.map_frame()
    assert charts.map_x(-100) == frame["left"] and charts.map_x(100) == frame["right"]
    assert charts.map_y(100) == frame["top"] and charts.map_y(-100) == frame["bottom"]
    assert charts.map_x(0) == charts.map_y(0) == frame["mid"]


def test_positions_outside_the_range_are_clipped_to_the_frame():
    assert charts.map_x(250) == charts.map_x(100)
    assert charts.map_y(-250) == charts.map_y(-100)


def test_labels_of_close_titles_are_put_on_opposite_sides():
    left = charts.point("Associate PM", -50, -51)
    right = charts.point("PM", -39, -51)
    spread = charts.spread_labels([left, right])
    assert spread[0].anchor == "end" and spread[1].anchor == "start"
    far = charts.spread_labels([charts.point("A", -80, 0), charts.point("B", 30, 0)])
    assert [p.anchor for p in far] == ["start", "start"]


def test_a_title_label_moves_out_of_the_way_of_the_persons_dot():
    title = charts.point("Principal PM", 13, -13)
    you = charts.point("You", 24, -16, kind="you")
    moved = charts.make_room_for(you, [title])
    assert moved[0].anchor == "end"
    untouched = charts.make_room_for(charts.point("You", 90, 90, kind="you"), [title])
    assert untouched[0].anchor == "start"


def test_the_trail_path_runs_through_every_point_in_order():
    points = [charts.point(str(i), i * 10, i * 10, kind="trail") for i in range(3)]
    path = charts.trail_path(points)
    assert path.startswith(f"M {points[0].cx} {points[0].cy}")
    assert path.count("L ") == 2
    assert charts.trail_path(points[:1]) == ""


def test_bars_scale_scores_and_expectations_to_the_bar_width():
    [bar] = charts.bars([("Skill", 50, 80)])
    assert bar.width == charts.BAR_WIDTH / 2
    assert bar.expected_x == charts.BAR_WIDTH * 0.8
    [empty] = charts.bars([("Skill", None, None)])
    assert empty.width == 0 and empty.expected_x is None
