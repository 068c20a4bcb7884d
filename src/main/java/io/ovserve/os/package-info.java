/** What the JDK does not offer of the operating system, through JNI. */
package io.ovserve.os;
