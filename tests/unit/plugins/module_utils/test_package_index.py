import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.package_index import (
    build_args,
    exposed,
    has_credentials,
    index_errors,
)
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import public_url

GENERATED = 'RUN env ${FTP_PROXY:+"PIP_INDEX_URL=$FTP_PROXY"} pip install -r requirements.txt'
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


def test_generated_dockerfile_gets_public_urls_and_the_credentials_in_the_carriers():
    index, extra = f"https://u:{TOKEN}@pkgs.example.com/simple", "https://pypi.org/simple"
    assert build_args(index, extra, GENERATED) == {
        "PIP_INDEX_URL": "https://pkgs.example.com/simple", "FTP_PROXY": index,
        "PIP_EXTRA_INDEX_URL": "https://pypi.org/simple"}
    assert exposed(index, extra, GENERATED) == []


def test_no_credentials_no_carrier():
    """An empty carrier would change the build cache's key against a plain docker build of the same Dockerfile."""
    assert build_args("", "", GENERATED) == {}
    assert build_args("https://pypi.org/simple", "", GENERATED) == {"PIP_INDEX_URL": "https://pypi.org/simple"}


def test_several_extra_indexes_with_credentials():
    extra = f"https://pypi.org/simple https://u:{TOKEN}@b.example.com/simple"
    args = build_args("", extra, GENERATED)
    assert args["PIP_EXTRA_INDEX_URL"] == "https://pypi.org/simple https://b.example.com/simple"
    assert args["ftp_proxy"] == extra and "FTP_PROXY" not in args


def test_a_dockerfile_of_the_users_own_gets_the_urls_whole_and_is_named_as_exposed():
    index, extra = f"https://u:{TOKEN}@pkgs.example.com/simple", "https://pypi.org/simple"
    assert build_args(index, extra, OWN) == {"PIP_INDEX_URL": index, "PIP_EXTRA_INDEX_URL": extra}
    assert exposed(index, extra, OWN) == ["PIP_INDEX_URL"]
    assert exposed("https://pypi.org/simple", "", OWN) == []
    assert build_args("", "", OWN) == {}


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


def test_exposed_names_each_variable_that_would_be_recorded():
    secret = f"https://u:{TOKEN}@h/simple"
    assert exposed(secret, secret, OWN) == ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"]
    assert exposed("https://h/simple", secret, OWN) == ["PIP_EXTRA_INDEX_URL"]
    assert exposed(secret, secret, "RUN echo $FTP_PROXY") == []
    assert exposed(secret, secret, None) == ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"]
    assert build_args(secret, "", None) == {"PIP_INDEX_URL": secret}


@pytest.mark.parametrize("url, shown", [
    (f"https://u:{TOKEN}@/simple", "a value"), (f"file://u:{TOKEN}@host/simple", "file://host/simple"),
    (f"ssh://u:{TOKEN}@host/simple", "ssh://host/simple"), (f"git://host/simple?t={TOKEN}", "git://host/simple"),
])
def test_a_refused_url_is_shown_in_its_public_form_whatever_its_scheme(url, shown):
    [error] = index_errors("image_pip_index_url", url)
    assert error.startswith(f"image_pip_index_url holds {shown} that is not") and TOKEN not in error
