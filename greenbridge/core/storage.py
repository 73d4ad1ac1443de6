"""Storage for documents only some people may read: kept outside MEDIA_ROOT and without any public address,
so the only way to them is a view that checks permissions first."""

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("private files have no public URL: serve them through a view that checks permissions")


class _PrivateStorage(LazyObject):
    """storages["private"], looked up when first used (and again after the STORAGES setting changes)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


def private(*args) -> _PrivateStorage:
    """The private storage, as a FileField's `storage` callable (migrations record the callable, not the setting)."""
    return private_storage
