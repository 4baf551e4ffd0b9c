"""Staff-only JSON views behind the story editor's dialogs (static/bodyeditor/story-editor.js).

Every answer is JSON, a refusal included: a 403 for anyone without the permission (no
redirect to the login page inside a dialog), a 400 that says what is wrong.
"""

from functools import wraps

from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from images.admin import ImageForm
from images.models import Image
from richtext.embeds import PROVIDER_NAMES, PROVIDERS, resolve

SEARCH_LIMIT = 24


def staff_with_any(*permissions):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.is_staff and any(user.has_perm(p) for p in permissions)):
                return JsonResponse({"error": "You do not have permission to do this."}, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def image_json(image):
    renditions = image.renditions
    thumbnail = renditions.thumbnail if renditions else None
    return {
        "id": image.pk,
        "alt": image.alt,
        "credit": image.credit,
        "thumbnail": thumbnail.url if thumbnail else image.file.url,
        "width": image.width,
        "height": image.height,
    }


@require_GET
@staff_with_any("images.view_image", "images.change_image")
def image_search(request):
    """Library images matching `q` (alt text, credit or file name), or those listed in `ids`."""
    images = Image.objects.all()
    if "ids" in request.GET:
        try:
            ids = [int(part) for part in request.GET["ids"].split(",") if part.strip()][:100]
        except ValueError:
            return JsonResponse({"error": "ids must be comma-separated image numbers."}, status=400)
        found = {image.pk: image for image in images.filter(pk__in=ids)}
        return JsonResponse({"results": [image_json(found[pk]) for pk in ids if pk in found]})
    query = request.GET.get("q", "").strip()[:200]
    if query:
        images = images.filter(
            Q(alt__icontains=query) | Q(credit__icontains=query) | Q(file__icontains=query)
        )
    return JsonResponse({"results": [image_json(image) for image in images[:SEARCH_LIMIT]]})


class UploadForm(ImageForm):
    """The library's own form, without the focal point (it starts centred; set it in the library)."""

    class Meta(ImageForm.Meta):
        fields = ["file", "alt", "credit"]


@require_POST
@staff_with_any("images.add_image")
def image_upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {
            field: [error["message"] for error in messages]
            for field, messages in form.errors.get_json_data().items()
        }
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse(image_json(form.save()), status=201)


@require_POST
@staff_with_any("articles.add_article", "articles.change_article")
def embed_check(request):
    """Say which provider a pasted link belongs to, or why it cannot be embedded."""
    url = request.POST.get("url", "").strip()
    # The sanitizer's own registry: the dialog accepts exactly what a save keeps.
    embed = resolve(url)
    if embed is None:
        message = (
            f"This link cannot be embedded. Paste the http(s) address of a post on one of: {PROVIDER_NAMES}."
            if url
            else f"Paste the address of a video, audio or post on one of: {PROVIDER_NAMES}."
        )
        return JsonResponse(
            {"error": message, "providers": [provider.name for provider in PROVIDERS]}, status=400
        )
    return JsonResponse({"url": url, "provider": embed.provider.name})
