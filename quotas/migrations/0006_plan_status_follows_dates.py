from django.db import migrations, models


def issued_plans_follow_their_dates(apps, schema_editor):
    """ "In force" was the status the Board set on every issued plan: such a plan now
    follows its dates. "Closed" stays the Board's explicit decision."""
    Plan = apps.get_model("quotas", "Plan")
    Plan.objects.filter(status="in_force").update(status="issued")


def back_to_in_force(apps, schema_editor):
    Plan = apps.get_model("quotas", "Plan")
    Plan.objects.filter(status="issued").update(status="in_force")


class Migration(migrations.Migration):
    dependencies = [
        ("quotas", "0005_plan_attachment_content"),
    ]

    operations = [
        migrations.AlterField(
            model_name="plan",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("issued", "Issued: follows its dates"),
                    ("in_force", "Kept in force by the Board"),
                    ("closed", "Closed by the Board"),
                ],
                default="draft",
                help_text="An issued plan is in force from its date to 31/12 of its year and closed after that, by itself. Choose “kept in force” or “closed” only when the Board decides otherwise.",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(issued_plans_follow_their_dates, back_to_in_force),
    ]
