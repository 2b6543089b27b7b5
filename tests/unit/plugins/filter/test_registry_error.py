import pytest
from ansible_collections.dockwright.toolkit.plugins.filter.registry_error import registry_error, registry_error_kind

REF = "127.0.0.1:5000/team/iris:1.0"

# Messages as community.docker and ansible.builtin.uri word them.
MESSAGES = [
    ("Error pushing image 127.0.0.1:5000/team/iris:1.0: Get \"https://127.0.0.1:5000/v2/\": dial tcp "
     "127.0.0.1:5000: connect: connection refused", "unreachable", True),
    ("Status code was -1 and not [200, 401, 403, 404]: Request failed: <urlopen error [Errno 111] Connection refused>",
     "unreachable", True),
    ("Status code was -1 and not [200, 401, 403, 404]: Request failed: <urlopen error timed out>", "unreachable", True),
    ("Status code was -1 and not [200, 404]: Request failed: <urlopen error something new>", "unreachable", True),
    ("Status code was 503 and not [200, 401, 403, 404]: HTTP Error 503: Service Unavailable", "transient", True),
    ("Error pushing image r/x:1: toomanyrequests: Rate exceeded", "transient", True),
    ("Error pushing image r/x:1: received unexpected HTTP status: 500 Internal Server Error", "transient", True),
    ("Error pushing image r/x:1: unauthorized: authentication required", "auth", False),
    ("Error pushing image r/x:1: no basic auth credentials", "auth", False),
    ("Error pushing image r/x:1: denied: Your authorization token has expired. Reauthenticate and try again.",
     "auth", False),
    ("Logging into r for user AWS failed - 500 Server Error for http+docker://localhost/v1.41/auth: Internal Server "
     "Error (\"Get \"https://r/v2/\": unauthorized: incorrect username or password\")", "auth", False),
    ("Error pushing image r/x:1: denied: User: arn:aws:iam::1:user/ci is not authorized to perform: "
     "ecr:InitiateLayerUpload", "denied", False),
    ("Error pushing image r/x:1: tag invalid: The image tag '1' already exists in the 'x' repository and cannot be "
     "overwritten because the repository is immutable.", "immutable", False),
    ("Error pushing image r/x:1: name unknown: The repository with name 'x' does not exist in the registry",
     "missing", False),
    ("Error pushing image r/x:1: error parsing HTTP 405 response body: invalid character 'M' looking for beginning "
     "of value: \"Method not allowed\\n\"", "readonly", False),
    ("Error pushing image r/x:1: Get \"https://r/v2/\": http: server gave HTTP response to HTTPS client", "tls", False),
    ("Error pushing image r/x:1: x509: certificate signed by unknown authority", "tls", False),
    ("Cannot find image r/x:1", "no_image", False),
    ("Status code was 504 and not [200, 401, 403, 404]: HTTP Error 504: Gateway Timeout", "transient", True),
    ("Error pushing image r/x:1: received unexpected HTTP status: 429 Too Many Requests", "transient", True),
    ("Error pushing image r/x:1: ThrottlingException: Rate exceeded", "transient", True),
    ("Error pushing image r/x:1: Get \"https://r/v2/\": dial tcp: lookup r: no such host", "unreachable", True),
    ("Error pushing image r/x:1: net/http: TLS handshake timed out", "unreachable", True),
    # Not recognised: not retried, so a reworded message shows at once.
    ("Error pushing image r/x:1: something nobody has seen", "other", False),
    ("Status code was 400 and not [200, 401, 403, 404]: HTTP Error 400: Bad Request", "other", False),
]


@pytest.mark.parametrize("msg, kind, retry", MESSAGES)
def test_kinds(msg, kind, retry):
    result = registry_error(msg, reference=REF)
    assert (result["kind"], result["retry"]) == (kind, retry)
    assert registry_error_kind(msg) == kind


@pytest.mark.parametrize("msg, kind, retry", MESSAGES)
def test_messages_name_the_image_and_drop_the_framing(msg, kind, retry):
    message = registry_error(msg, reference=REF, action="push")["message"]
    assert message.startswith(f"Pushing {REF} failed")
    assert "Error pushing image" not in message and "Status code was" not in message


@pytest.mark.parametrize("msg", ["", None])
def test_no_failure(msg):
    assert registry_error(msg) == {"kind": "none", "retry": False, "message": ""}


@pytest.mark.parametrize("action, start", [
    ("push", f"Pushing {REF} failed"),
    ("check", f"Asking 127.0.0.1:5000 about {REF} failed"),
    ("login", "Logging into 127.0.0.1:5000 failed"),
])
def test_actions(action, start):
    assert registry_error("connection refused", reference=REF, action=action)["message"].startswith(start)


@pytest.mark.parametrize("attempts, words", [(1, "failed: "), (6, "failed after 6 attempts: ")])
def test_attempts(attempts, words):
    assert words in registry_error("connection refused", reference=REF, attempts=attempts)["message"]


@pytest.mark.parametrize("kind_msg, hint", [
    ("tag invalid: immutable", "ecr_tag"),
    ("connection refused", "ecr_registry"),
    ("denied: not authorized to perform", "ecr:PutImage"),
    ("toomanyrequests", "ecr_retries"),
])
def test_hints(kind_msg, hint):
    assert hint in registry_error(kind_msg, reference=REF)["message"]


@pytest.mark.parametrize("msg, detail", [
    ("Error pushing image r/x:1: something nobody has seen", "something nobody has seen"),
    ("Status code was 400 and not [200, 401, 403, 404]: HTTP Error 400: Bad Request", "HTTP Error 400: Bad Request"),
    ("Logging into r for user AWS failed - a new way to fail", "a new way to fail"),
])
def test_unknown_errors_fail_at_once_with_their_own_words(msg, detail):
    result = registry_error(msg, reference=REF)
    assert (result["kind"], result["retry"]) == ("other", False)
    assert detail in result["message"]
    assert "not retried" in result["message"]


@pytest.mark.parametrize("form", [
    "s3cr3t+/=\"x", "s3cr3t%2B%2F%3D%22x", "s3cr3t%2B/%3D%22x", 's3cr3t+/=\\"x',
])
def test_secrets_are_masked_in_every_form(form):
    message = registry_error(f"something new: token {form} rejected", reference=REF,
                             secrets=['s3cr3t+/="x'])["message"]
    assert "s3cr3t" not in message and "*****" in message


def test_secrets_are_masked():
    message = registry_error("unauthorized: token s3cr3t rejected", reference=REF,
                                        secrets=["s3cr3t", ""])["message"]
    assert "s3cr3t" not in message and "*****" in message


def test_registry_defaults_to_the_reference_host():
    assert "127.0.0.1:5000 does not answer" in registry_error("connection refused", reference=REF)["message"]
