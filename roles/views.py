from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from roles.models import Role, Skill, Track


def ladders(request: HttpRequest) -> HttpResponse:
    """Anyone: the two tracks side by side, title by title."""
    tracks = list(Track.objects.prefetch_related("roles__track"))
    levels = sorted({role.level for track in tracks for role in track.roles.all()})
    rows = [
        [next((r for r in track.roles.all() if r.level == level), None) for track in tracks]
        for level in levels
    ]
    return render(request, "roles/ladders.html", {"tracks": tracks, "rows": rows})


def title_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone: one title, its responsibilities, expected skills and its peer on the other track."""
    role = get_object_or_404(
        Role.objects.select_related("track").prefetch_related("responsibilities"), slug=slug
    )
    peers = Role.objects.select_related("track").exclude(track=role.track)
    peer = min(peers, key=lambda other: (abs(other.level - role.level), other.level), default=None)
    levels = {e.skill_id: e.level for e in role.expectations.all()}
    peer_levels = {e.skill_id: e.level for e in peer.expectations.all()} if peer else {}
    skills = [
        {"skill": skill, "level": levels.get(skill.pk), "peer_level": peer_levels.get(skill.pk)}
        for skill in Skill.objects.select_related("group")
    ]
    neighbours = {
        "previous": Role.objects.filter(track=role.track, level__lt=role.level).last(),
        "next": Role.objects.filter(track=role.track, level__gt=role.level).first(),
    }
    return render(
        request,
        "roles/title_detail.html",
        {"role": role, "peer": peer, "skills": skills, **neighbours},
    )
