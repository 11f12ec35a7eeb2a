from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class UploadForm(FlaskForm):
    file = FileField(
        _l("File to import"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Only CSV (.csv) or Excel workbook (.xlsx) files can be imported.")),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button only; the batch id is in the URL, the file stays on the server."""
