from lessons.selectors.classrooms import assignments_for_student


def test_students_see_their_classes_assignments_only(classroom, student, other_student):
    assert [a.lesson.title for a in assignments_for_student(student=student)] == ["Café in Lyon"]
    assert not assignments_for_student(student=other_student).exists()
