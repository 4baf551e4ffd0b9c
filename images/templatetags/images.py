from django import template

register = template.Library()


@register.inclusion_tag("images/picture.html")
def picture(image, sizes="100vw", loading="lazy", css_class=""):
    """A responsive <picture> for a library image: AVIF and WebP sources, JPEG fallback, width/height set.

    Pass loading="eager" for the lead image so the browser fetches it first.
    """
    return {
        "image": image,
        "renditions": image.renditions if image else None,
        "sizes": sizes,
        "loading": loading,
        "css_class": css_class,
    }
