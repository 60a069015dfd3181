from django.contrib import admin

from stagekans.geo.models import PostcodeArea


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(admin.ModelAdmin):
    list_display = ("pc4", "place", "province")
    search_fields = ("pc4", "place")
