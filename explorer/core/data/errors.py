"""The one error every data-set reader raises."""


class DatasetError(ValueError):
    """A data set that cannot be loaded; the message names the file or name and the problem."""
