"""Storage for documents only some people may read: kept outside MEDIA_ROOT and without any public address,
so the only way to them is a view that checks permissions first."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("private files have no public URL: serve them through a view that checks permissions")
