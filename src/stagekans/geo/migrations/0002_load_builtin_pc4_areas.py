"""Load the built-in table of real Dutch PC4 areas (geo/data/pc4.csv).

Idempotent (core.reference_data re-runs it after tests flush the database): known codes are
updated to the table, missing ones added. Codes invented by older demo data are overwritten.
"""

from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from stagekans.geo.pc4 import builtin_rows

    area_model = apps.get_model("geo", "PostcodeArea")
    rows = builtin_rows()
    existing = set(area_model.objects.values_list("pc4", flat=True))
    objects = [
        area_model(
            pc4=r.pc4,
            place=r.place,
            province=r.province,
            latitude=r.latitude,
            longitude=r.longitude,
        )
        for r in rows
    ]
    area_model.objects.bulk_create([o for o in objects if o.pc4 not in existing], batch_size=1000)
    area_model.objects.bulk_update(
        [o for o in objects if o.pc4 in existing],
        ["place", "province", "latitude", "longitude"],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
