from django.urls import reverse


def test_visitors_are_invited_to_sign_up(client, db):
    body = client.get(reverse("home")).content.decode()
    assert reverse("sign_up") in body and reverse("login") in body


def test_students_see_their_assignments_and_the_join_form(client, student, classroom):
    client.force_login(student)
    body = client.get(reverse("home")).content.decode()
    assert "Assigned to you" in body and "Café in Lyon" in body and "Evening group" in body
    assert reverse("join_class") in body


def test_teachers_see_their_classes_with_join_codes(client, teacher, classroom, other_teacher):
    client.force_login(teacher)
    assert classroom.join_code in client.get(reverse("home")).content.decode()
    client.force_login(other_teacher)
    assert classroom.join_code not in client.get(reverse("home")).content.decode()


def test_health_reports_database_and_channel_layer(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "channel_layer": "ok"}
