import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import (
    build_secrets,
    has_credentials,
    index_errors,
    unmounted,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import public_url

GENERATED = ("RUN --mount=type=secret,id=build-ca --mount=type=secret,id=pip-index-url"
             " --mount=type=secret,id=pip-extra-index-url pip install -r requirements.txt")
OWN = "ARG PIP_INDEX_URL\nRUN pip install -r requirements.txt"
TOKEN = "s3cr3t-T0KEN"


@pytest.mark.parametrize("url, public", [
    ("https://pypi.org/simple", "https://pypi.org/simple"),
    (f"https://user:{TOKEN}@pkgs.example.com:8443/pypi/simple/", "https://pkgs.example.com:8443/pypi/simple/"),
    (f"https://aws:{TOKEN}@d-1.d.codeartifact.eu-west-1.amazonaws.com/pypi/r/simple/",
     "https://d-1.d.codeartifact.eu-west-1.amazonaws.com/pypi/r/simple/"),
    (f"https://pkgs.example.com/simple?token={TOKEN}", "https://pkgs.example.com/simple"),
    (f"http://{TOKEN}@10.0.0.5/simple", "http://10.0.0.5/simple"),
    ("ftp://host/simple", ""),
    ("pkgs.example.com/simple", ""),
    ("https:///simple", ""),
    ("https://host/simple\nRUN evil", ""),
    ("https://host:99999/simple", ""),
])
def test_public_url(url, public):
    assert public_url(url) == public


def test_index_errors_name_the_setting_and_never_repeat_the_credentials():
    assert index_errors("image_pip_index_url", "") == []
    assert index_errors("image_pip_index_url", f"https://u:{TOKEN}@host/simple") == []
    assert index_errors("image_pip_extra_index_url", "https://a/simple https://b/simple", several=True) == []
    [two] = index_errors("image_pip_index_url", f"https://u:{TOKEN}@a/simple https://b/simple")
    assert two.startswith("image_pip_index_url holds 2 URLs") and TOKEN not in two
    [scheme] = index_errors("image_pip_index_url", f"ftp://u:{TOKEN}@host/simple")
    assert "ftp://host/simple" in scheme and TOKEN not in scheme and "https://[user:token@]host" in scheme
    [bare] = index_errors("image_pip_extra_index_url", f"https://a/simple {TOKEN}", several=True)
    assert "holds a value that is not" in bare and TOKEN not in bare


def test_has_credentials():
    assert not has_credentials("") and not has_credentials(None)
    assert not has_credentials("https://pypi.org/simple https://other/simple")
    assert has_credentials(f"https://pypi.org/simple https://u:{TOKEN}@other/simple")
    assert has_credentials(f"https://other/simple?token={TOKEN}")


@pytest.mark.parametrize("index, extra, ca, expected", [
    ("", "", "", []),
    ("", "", "/etc/ca.pem", [{"id": "build-ca", "type": "file", "src": "/etc/ca.pem"}]),
    (f"https://u:{TOKEN}@pkgs.example.com/simple", "", "",
     [{"id": "pip-index-url", "type": "value", "value": f"https://u:{TOKEN}@pkgs.example.com/simple"}]),
    # Several extra indexes travel as one value, separated by single spaces, as pip and uv read them.
    ("https://pypi.org/simple", f" https://a/simple \n https://u:{TOKEN}@b/simple ", "/ca",
     [{"id": "build-ca", "type": "file", "src": "/ca"},
      {"id": "pip-index-url", "type": "value", "value": "https://pypi.org/simple"},
      {"id": "pip-extra-index-url", "type": "value", "value": f"https://a/simple https://u:{TOKEN}@b/simple"}]),
    (None, "   ", None, []),
])
def test_build_secrets_give_what_is_set_whole_and_nothing_else(index, extra, ca, expected):
    assert build_secrets(index, extra, ca) == expected


@pytest.mark.parametrize("index, extra, dockerfile, expected", [
    (f"https://u:{TOKEN}@h/simple", "https://pypi.org/simple", GENERATED, []),
    (f"https://u:{TOKEN}@h/simple", "https://pypi.org/simple", OWN, ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"]),
    ("", "https://pypi.org/simple", "RUN --mount=type=secret,id=pip-index-url pip install x",
     ["PIP_EXTRA_INDEX_URL"]),
    ("", "", OWN, []),
    ("https://h/simple", "", None, ["PIP_INDEX_URL"]),
])
def test_unmounted_names_each_index_the_dockerfile_never_reads(index, extra, dockerfile, expected):
    assert unmounted(index, extra, dockerfile) == expected


def test_a_url_with_a_space_is_not_a_url():
    assert public_url("https://host/a b") == "" and public_url("https://host/a\x7fb") == ""


def test_index_errors_in_full():
    assert index_errors("image_pip_index_url", "https://a/simple https://b/simple") == [
        "image_pip_index_url holds 2 URLs separated by spaces: give one index URL (more go into the extra index"
        " setting)."]
    assert index_errors("image_pip_extra_index_url", "ftp://h/simple nonsense", several=True) == [
        "image_pip_extra_index_url holds ftp://h/simple that is not an http(s) URL with a host: give the index as"
        " https://[user:token@]host/path/simple.",
        "image_pip_extra_index_url holds a value that is not an http(s) URL with a host: give the index as"
        " https://[user:token@]host/path/simple."]
    assert index_errors("x", None) == [] and index_errors("x", "   ") == []


@pytest.mark.parametrize("url, shown", [
    (f"https://u:{TOKEN}@/simple", "a value"), (f"file://u:{TOKEN}@host/simple", "file://host/simple"),
    (f"ssh://u:{TOKEN}@host/simple", "ssh://host/simple"), (f"git://host/simple?t={TOKEN}", "git://host/simple"),
])
def test_a_refused_url_is_shown_in_its_public_form_whatever_its_scheme(url, shown):
    [error] = index_errors("image_pip_index_url", url)
    assert error.startswith(f"image_pip_index_url holds {shown} that is not") and TOKEN not in error
